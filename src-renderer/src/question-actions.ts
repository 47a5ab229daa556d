import type { InputRequestView } from '../../src-shared/input-request';
import { askingOf } from './question-dialog';
import { rolecallApi } from './rolecall';
import { showAnsweredSnapshot, useQuestionStore } from './stores';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Sends a code. The dialog then shows the code being checked until the question closes (taken)
 * or comes back with a reason (refused); a failure to send is shown in the dialog.
 */
export async function answerQuestion(question: InputRequestView, code: string): Promise<void> {
  useQuestionStore.setState({ checking: askingOf(question), error: null });
  try {
    const snapshot = await rolecallApi().answerInput({ key: question.key, answer: code });
    showAnsweredSnapshot(snapshot);
  } catch (error) {
    useQuestionStore.setState({ checking: null, error: messageOf(error) });
  }
}

/** Stops waiting: every profile waiting on the question fails, and keeps what it holds. */
export async function dismissQuestion(question: InputRequestView): Promise<void> {
  useQuestionStore.setState({ error: null });
  try {
    const snapshot = await rolecallApi().dismissInput({ key: question.key });
    showAnsweredSnapshot(snapshot);
    forget(question);
  } catch (error) {
    useQuestionStore.setState({ error: messageOf(error) });
  }
}

/** "Later": the dialog closes; the question stays open, listed in the window. */
export function putQuestionAside(question: InputRequestView): void {
  useQuestionStore.setState((state) => ({
    putAside: new Set([...state.putAside, askingOf(question)]),
    error: null,
    ...(state.wanted === question.key ? { wanted: null } : {}),
  }));
}

/** Brings a question's dialog up (its notification, tray item or Answer button was clicked). */
export function showQuestion(key: string): void {
  useQuestionStore.setState((state) => ({
    wanted: key,
    error: null,
    putAside: new Set([...state.putAside].filter((asking) => !asking.startsWith(`${key}\u0000`))),
  }));
}

function forget(question: InputRequestView): void {
  useQuestionStore.setState((state) => (state.wanted === question.key ? { wanted: null } : {}));
}
