// The table inside the chat (the MCP Apps extension, io.modelcontextprotocol/ui): the viewer page as a UI
// resource, the one-line way a tool declares it, and whether the client on the other end renders apps.
// Hosts that do not render apps ignore the declaration; the browser tab stays their way to see the table.

import { getUiCapability, registerAppResource, registerAppTool, RESOURCE_MIME_TYPE, type ToolCallback } from '@modelcontextprotocol/ext-apps/server';
import type { ClientCapabilities, McpServer, RegisteredTool, ServerContext, StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import { VIEWER_APP_URI } from '../contract/viewer-app.ts';
import { readAppHtml } from './viewer-app-html.ts';

export { VIEWER_APP_URI };

/** Where the 2026-07-28 era carries the client's capabilities on each request. */
const CLIENT_CAPABILITIES_KEY = 'io.modelcontextprotocol/clientCapabilities';

/** The page needs no network of its own (its data comes through the host), so its CSP asks for no domains. */
const RESOURCE_UI_META = { csp: {}, prefersBorder: true };

export function registerViewerAppResource(server: McpServer): void {
  registerAppResource(
    server,
    'buckaroo-table viewer',
    VIEWER_APP_URI,
    { description: 'The interactive table (sort, search, per-column stats) for data shown by view_data.', _meta: { ui: RESOURCE_UI_META } },
    async () => ({ contents: [{ uri: VIEWER_APP_URI, mimeType: RESOURCE_MIME_TYPE, text: readAppHtml(), _meta: { ui: RESOURCE_UI_META } }] }),
  );
}

/** A tool's configuration as `server.registerTool` takes it (the helpers below add the UI part of `_meta`). */
interface ToolConfig<I> {
  title?: string;
  description?: string;
  inputSchema?: I;
  annotations?: ToolAnnotations;
  _meta?: Record<string, unknown>;
}

/**
 * `server.registerTool` for a tool whose result the viewer app shows in the chat: the same arguments, plus the
 * UI resource (and its legacy key, for older hosts). Tools that show data (view_data, query_data,
 * compare_data) register through this instead of `server.registerTool`.
 */
export function registerViewerTool<O extends StandardSchemaWithJSON, I extends StandardSchemaWithJSON | undefined = undefined>(
  server: Pick<McpServer, 'registerTool'>,
  name: string,
  config: ToolConfig<I> & { outputSchema?: O },
  cb: ToolCallback<I>,
): RegisteredTool {
  return registerAppTool(server, name, { ...config, _meta: { ...config._meta, ui: { resourceUri: VIEWER_APP_URI } } }, cb);
}

/** The same for an app-only tool (visibility ["app"]): the host lets the app call it and hides it from the model. */
export function registerAppOnlyTool<I extends StandardSchemaWithJSON | undefined = undefined>(
  server: Pick<McpServer, 'registerTool'>,
  name: string,
  config: ToolConfig<I>,
  cb: ToolCallback<I>,
): RegisteredTool {
  return registerAppTool(server, name, { ...config, _meta: { ...config._meta, ui: { resourceUri: VIEWER_APP_URI, visibility: ['app'] } } }, cb);
}

/** Whether these capabilities say the client renders MCP Apps (the UI extension with our MIME type). */
export function rendersApps(caps: ClientCapabilities | undefined): boolean {
  return getUiCapability(caps)?.mimeTypes?.includes(RESOURCE_MIME_TYPE) === true;
}

/** A request handler as the SDK stores it (the `_getRequestHandler` below). */
type StoredHandler = (request: unknown, ctx: ServerContext) => Promise<{ tools?: { name: string }[] }>;

/**
 * In the 2026-07-28 era (no initialize) the client's capabilities come with each request, tools/list included: a
 * client that does not advertise the UI extension gets the list without `appOnly`, as a 2025 client that did not
 * advertise it at initialize does (there the tools are disabled instead). McpServer lists every enabled tool and
 * has no per-request filter, so its own handler is wrapped; `_getRequestHandler` is the SDK's protected accessor
 * (reached by a cast): if a later SDK drops it, the list stays whole (today's marking by visibility) rather than
 * breaking tools/list.
 */
export function hideAppOnlyToolsPerRequest(server: McpServer, appOnly: readonly string[]): boolean {
  const inner = server.server as unknown as { _getRequestHandler?: (method: string) => StoredHandler | undefined };
  const listAll = typeof inner._getRequestHandler === 'function' ? inner._getRequestHandler.call(server.server, 'tools/list') : undefined;
  if (!listAll) return false;
  const hidden = new Set(appOnly);
  server.server.setRequestHandler('tools/list', async (request, ctx) => {
    const list = await listAll(request, ctx);
    if (rendersApps(clientCapabilities(ctx, server)) || !list.tools) return list as never;
    return { ...list, tools: list.tools.filter((t) => !hidden.has(t.name)) } as never;
  });
  return true;
}

/**
 * The client's capabilities for this request: the request's own envelope in the 2026-07-28 era, what it
 * declared at `initialize` in the 2025 era.
 */
export function clientCapabilities(req: ServerContext, server: McpServer): ClientCapabilities | undefined {
  const envelope = req.mcpReq.envelope as Record<string, unknown> | undefined;
  const fromEnvelope = envelope?.[CLIENT_CAPABILITIES_KEY] as ClientCapabilities | undefined;
  // getClientCapabilities is deprecated for the modern era only, where the envelope above answers first.
  return fromEnvelope ?? server.server.getClientCapabilities();
}
