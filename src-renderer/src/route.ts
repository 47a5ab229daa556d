/** Which view the renderer shows: the whole window, or the tray's small popover. */
export type View = 'window' | 'popover';

/** `?view=popover` (the tray's window, or the web UI's link to it); anything else is the window. */
export function viewOf(search: string): View {
  return new URLSearchParams(search).get('view') === 'popover' ? 'popover' : 'window';
}

/** The address of the other view, keeping this page's path. */
export function addressOf(view: View, pathname: string): string {
  return view === 'popover' ? `${pathname}?view=popover` : pathname;
}
