// Cursor and scroll window arithmetic for every list on screen (ink-notes §2.5): the offset is
// part of the state, computed here, so moving the window never costs a second render.

export interface ListCursor {
  /** Index of the selected item, 0-based; 0 for an empty list. */
  selected: number;
  /** Index of the first item in the window. */
  offset: number;
}

/** The window's first index so that `selected` is visible, moving as little as possible. */
export function windowFor(selected: number, offset: number, height: number, total: number): number {
  if (height <= 0 || total <= 0) return 0;
  const maxOffset = Math.max(0, total - height);
  if (selected < offset) return Math.min(Math.max(0, selected), maxOffset);
  if (selected >= offset + height) return Math.min(selected - height + 1, maxOffset);
  return Math.min(Math.max(0, offset), maxOffset);
}

/** Moves to `target` (clamped to the list) and keeps it inside a window of `height` rows. */
export function moveTo(cursor: ListCursor, target: number, height: number, total: number): ListCursor {
  if (total <= 0) return { selected: 0, offset: 0 };
  const selected = Math.min(Math.max(0, target), total - 1);
  return { selected, offset: windowFor(selected, cursor.offset, height, total) };
}

export type Motion = 'up' | 'down' | 'pageUp' | 'pageDown' | 'top' | 'bottom';

/** The cursor after a motion key; a page is the window height. */
export function applyMotion(cursor: ListCursor, motion: Motion, height: number, total: number): ListCursor {
  const page = Math.max(1, height);
  switch (motion) {
    case 'up':
      return moveTo(cursor, cursor.selected - 1, height, total);
    case 'down':
      return moveTo(cursor, cursor.selected + 1, height, total);
    case 'pageUp':
      return pageBy(cursor, -page, height, total);
    case 'pageDown':
      return pageBy(cursor, page, height, total);
    case 'top':
      return moveTo(cursor, 0, height, total);
    case 'bottom':
      return moveTo(cursor, total - 1, height, total);
  }
}

/** Paging scrolls the window and the cursor together, like a pager. */
function pageBy(cursor: ListCursor, delta: number, height: number, total: number): ListCursor {
  if (total <= 0) return { selected: 0, offset: 0 };
  const selected = Math.min(Math.max(0, cursor.selected + delta), total - 1);
  const maxOffset = Math.max(0, total - height);
  const offset = Math.min(Math.max(0, cursor.offset + delta), maxOffset);
  return { selected, offset: windowFor(selected, offset, height, total) };
}

/** After the list or the window height changed: keep the selection valid and visible. */
export function refit(cursor: ListCursor, height: number, total: number): ListCursor {
  return moveTo(cursor, cursor.selected, height, total);
}
