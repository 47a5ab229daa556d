import { App } from './App';
import { MessageText } from './MessageText';
import { Popover } from './Popover';
import { viewOf } from './route';
import { useAccessStore } from './stores';

/**
 * The window or the tray's popover (`?view=popover`), or, when this page has no way into
 * Rolecall (a used or expired link, a session that ended), only what to do next: an empty window
 * under the banner would look like nothing is loaded.
 */
export function Root() {
  const problem = useAccessStore((state) => state.problem);
  if (!problem) return viewOf(window.location.search) === 'popover' ? <Popover /> : <App />;
  return (
    <main className="window">
      <header className="app-header">
        <h1>
          <span className="brand-mark" aria-hidden="true" />
          Rolecall
        </h1>
      </header>
      <p role="alert" className="alert">
        <MessageText text={problem} />
      </p>
    </main>
  );
}
