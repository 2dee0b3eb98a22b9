// What the host's context (ext-apps' McpUiHostContext) means for the app: its colour scheme, and the height
// to ask for. Pure, so it is unit-tested; main.ts applies it.

/** Inline in a conversation the table asks for at most this height: a screenful of rows without taking over the chat. */
export const INLINE_MAX_HEIGHT_PX = 520;
/** Room for the toolbar, the header, the pinned dtype and histogram rows and a few rows. */
export const INLINE_MIN_HEIGHT_PX = 240;
/** Toolbar + column header + dtype row + histogram row + horizontal scrollbar, as style.css and grid.ts draw them. */
const CHROME_PX = 45 + 32 + 28 + 40 + 16;
const ROW_PX = 28;

export type Theme = 'light' | 'dark';
export type DisplayMode = 'inline' | 'fullscreen' | 'pip';

/** The parts of the host context the app reads. */
export interface HostLayoutContext {
  theme?: Theme;
  displayMode?: DisplayMode;
  availableDisplayModes?: DisplayMode[];
  containerDimensions?: { height?: number; maxHeight?: number; width?: number; maxWidth?: number };
}

/**
 * The height to report to the host, or undefined when the host fixes it (a fixed container height, or any
 * mode but inline: fullscreen and picture-in-picture fill what the host gives).
 */
export function requestedHeight(ctx: HostLayoutContext, rows: number | undefined): number | undefined {
  if ((ctx.displayMode ?? 'inline') !== 'inline') return undefined;
  if (ctx.containerDimensions?.height !== undefined) return undefined;
  const wanted = rows === undefined ? INLINE_MAX_HEIGHT_PX : CHROME_PX + Math.max(rows, 3) * ROW_PX;
  const max = Math.min(INLINE_MAX_HEIGHT_PX, ctx.containerDimensions?.maxHeight ?? Infinity);
  return Math.round(Math.max(Math.min(wanted, max), Math.min(INLINE_MIN_HEIGHT_PX, max)));
}

/** The other display mode the full-screen button switches to, when the host offers it. */
export function toggledMode(ctx: HostLayoutContext): DisplayMode | undefined {
  const next: DisplayMode = ctx.displayMode === 'fullscreen' ? 'inline' : 'fullscreen';
  return ctx.availableDisplayModes?.includes(next) ? next : undefined;
}
