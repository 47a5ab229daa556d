import { App } from './App';
import { MessageText } from './MessageText';
import { useAccessStore } from './stores';

/**
 * The window, or, when this page has no way into Rolecall (a used or expired link, a session
 * that ended), only what to do next: an empty window under the banner would look like nothing
 * is loaded.
 */
export function Root() {
  const problem = useAccessStore((state) => state.problem);
  if (!problem) return <App />;
  return (
    <main>
      <header>
        <h1>Rolecall</h1>
      </header>
      <p role="alert" className="alert">
        <MessageText text={problem} />
      </p>
    </main>
  );
}
