// Browser side of the MCP Apps host harness (bundled by test/helpers/app-host.ts, run in Chromium): each
// instance is a sandboxed iframe (scripts only, opaque origin) holding the app's HTML under the CSP a host
// applies to an app that asks for no domains, connected to ext-apps' own AppBridge. Tool calls go out through
// `window.hostCallTool`, which the test binds to a real SDK Client on the compiled binary.

import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/server';

/** The spec's default for a resource without `csp` domains: inline script and style, data: images, no connections. */
export const HOST_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; media-src data:; connect-src 'none'";

export interface MountSpec {
  html: string;
  input: Record<string, unknown>;
  result: CallToolResult;
  hostContext: McpUiHostContext;
}

/** What the host saw of one instance. */
export interface InstanceLog {
  sizes: { width?: number; height?: number }[];
  displayModes: string[];
  links: string[];
}

interface Instance {
  bridge: AppBridge;
  iframe: HTMLIFrameElement;
  context: McpUiHostContext;
  log: InstanceLog;
}

declare global {
  interface Window {
    hostCallTool(instance: string, params: { name: string; arguments?: Record<string, unknown> }): Promise<CallToolResult>;
    harness: typeof harness;
  }
}

const instances = new Map<string, Instance>();

function withCsp(html: string): string {
  return html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${HOST_CSP}">`);
}

const harness = {
  async mount(id: string, spec: MountSpec): Promise<void> {
    const iframe = document.createElement('iframe');
    iframe.id = id;
    iframe.setAttribute('sandbox', 'allow-scripts');
    iframe.style.cssText = 'display:block;width:960px;height:200px;border:1px solid #ccc;margin:4px';
    document.body.append(iframe);
    const log: InstanceLog = { sizes: [], displayModes: [], links: [] };
    const bridge = new AppBridge(null, { name: 'buckaroo-harness', version: '0.0.0' }, { openLinks: {}, serverTools: {} }, { hostContext: spec.hostContext });
    const instance: Instance = { bridge, iframe, context: spec.hostContext, log };
    instances.set(id, instance);
    bridge.oncalltool = (params) => window.hostCallTool(id, { name: params.name, arguments: params.arguments });
    bridge.onsizechange = (size) => {
      log.sizes.push(size);
      if (size.height !== undefined && instance.context.displayMode !== 'fullscreen') iframe.style.height = `${size.height}px`;
    };
    bridge.onrequestdisplaymode = async ({ mode }) => {
      log.displayModes.push(mode);
      iframe.style.height = mode === 'fullscreen' ? `${window.innerHeight - 20}px` : iframe.style.height;
      harness.setContext(id, { displayMode: mode });
      return { mode };
    };
    bridge.onopenlink = async ({ url }) => {
      log.links.push(url);
      return {};
    };
    const initialized = new Promise<void>((resolve) => (bridge.oninitialized = () => resolve()));
    // Connected before the document loads: the app sends ui/initialize as soon as its script runs.
    await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
    iframe.srcdoc = withCsp(spec.html);
    await initialized;
    await bridge.sendToolInput({ arguments: spec.input });
    await bridge.sendToolResult(spec.result);
  },
  setContext(id: string, change: McpUiHostContext): void {
    const instance = instances.get(id)!;
    instance.context = { ...instance.context, ...change };
    instance.bridge.setHostContext(instance.context);
  },
  log(id: string): InstanceLog {
    return instances.get(id)!.log;
  },
  frameHeight(id: string): number {
    return instances.get(id)!.iframe.getBoundingClientRect().height;
  },
};

window.harness = harness;
