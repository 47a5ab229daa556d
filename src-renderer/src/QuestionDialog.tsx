import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { InputRequestView } from '../../src-shared/input-request';
import { answerProblem, questionSubject, questionTitle } from '../../src-shared/questions';
import { MfaIcon, SignInIcon } from './design/icons';
import { MessageText } from './MessageText';
import {
  answerQuestion,
  dismissQuestion,
  putQuestionAside,
  showQuestion,
} from './question-actions';
import { askingOf, codeProblem, questionToShow, questionWords, whoWaits } from './question-dialog';
import { startSignInAndShow } from './sign-in-actions';
import { useQuestionStore, useSnapshotStore } from './stores';

/**
 * A modal dialog for the question Rolecall waits on: an MFA code (a labelled field; a refused
 * code's reason above it) or a sign-in (buttons that start it). Focus moves into it when it opens
 * and back where it was when it closes. Escape is "Later": the question stays open and listed
 * in the window, because closing a dialog should never decide for the profiles waiting; stopping
 * the wait is a button of its own, with a confirmation.
 */
export function QuestionDialog({ onSignIn }: { onSignIn: () => void }) {
  const open = useSnapshotStore((state) => state.snapshot.inputRequests);
  const putAside = useQuestionStore((state) => state.putAside);
  const wanted = useQuestionStore((state) => state.wanted);
  const question = questionToShow(open ?? [], putAside, wanted);
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocusTo = useRef<Element | null>(null);
  const closingOurselves = useRef(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (question && !element.open) {
      returnFocusTo.current = document.activeElement;
      element.showModal();
    } else if (!question && element.open) {
      closingOurselves.current = true;
      element.close();
    }
  }, [question]);

  const onClose = () => {
    const ours = closingOurselves.current;
    closingOurselves.current = false;
    // Closed by the browser itself (a second Escape may close it without a cancel event).
    if (!ours && question) putQuestionAside(question);
    const back = returnFocusTo.current;
    returnFocusTo.current = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
    else document.getElementById('questions-heading')?.focus();
  };

  return (
    <dialog
      ref={dialog}
      className="question"
      aria-labelledby="question-title"
      aria-describedby="question-lead"
      onCancel={(event) => {
        event.preventDefault();
        if (question) putQuestionAside(question);
      }}
      onClose={onClose}
    >
      {question && (
        // A new asking (another question, or the same refused) starts with an empty form.
        <QuestionForm key={askingOf(question)} question={question} onSignIn={onSignIn} />
      )}
    </dialog>
  );
}

function QuestionForm({
  question,
  onSignIn,
}: {
  question: InputRequestView;
  onSignIn: () => void;
}) {
  const entries = useSnapshotStore((state) => state.snapshot.entries);
  const checking = useQuestionStore((state) => state.checking === askingOf(question));
  const error = useQuestionStore((state) => state.error);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmingStop, setConfirmingStop] = useState(false);
  const words = questionWords(question);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found =
      question.kind === 'new-password' ? answerProblem(question, code) : codeProblem(code);
    setProblem(found);
    if (!found)
      void answerQuestion(question, question.kind === 'new-password' ? code : code.trim());
  };
  const signIn = (flow: 'device' | 'pkce') => {
    putQuestionAside(question);
    onSignIn();
    void startSignInAndShow(questionSubject(question), flow);
  };

  return (
    <div className="question-body dialog-body">
      <h2 id="question-title">
        {question.kind === 'sign-in' ? (
          <SignInIcon className="icon" />
        ) : (
          <MfaIcon className="icon" />
        )}
        {questionTitle(question)}
      </h2>
      <p id="question-lead">{words.lead}</p>
      <p className="muted">{whoWaits({ entries }, question)}</p>
      {question.retryReason && (
        <p className="error-detail" role="alert">
          <MessageText text={question.retryReason} />
        </p>
      )}
      {error && (
        <p className="error-detail" role="alert">
          <MessageText text={error} />
        </p>
      )}
      {confirmingStop ? (
        <div className="confirm" role="group" aria-labelledby="question-stop">
          <p id="question-stop">{words.confirmStop}</p>
          <div className="row dialog-actions">
            <button type="button" className="danger" onClick={() => void dismissQuestion(question)}>
              Stop waiting
            </button>
            {/* Back is where focus was: the confirmation replaced the button that asked for it. */}
            <button type="button" autoFocus onClick={() => setConfirmingStop(false)}>
              Back
            </button>
          </div>
        </div>
      ) : question.kind === 'sign-in' ? (
        <div className="row dialog-actions">
          <button type="button" className="primary" autoFocus onClick={() => signIn('pkce')}>
            Sign in to {questionSubject(question)} in the browser
          </button>
          <button type="button" onClick={() => signIn('device')}>
            Sign in with a code
          </button>
          <LaterOrStop question={question} onStop={() => setConfirmingStop(true)} />
        </div>
      ) : (
        <form onSubmit={submit} noValidate>
          <div className="code-field">
            <label htmlFor="question-code">
              {question.kind === 'new-password' ? 'New password' : 'MFA code'}
            </label>
            <input
              id="question-code"
              autoFocus
              {...(question.kind === 'new-password'
                ? { type: 'password', autoComplete: 'new-password', maxLength: 256 }
                : { inputMode: 'numeric', autoComplete: 'one-time-code', maxLength: 8 })}
              value={code}
              disabled={checking}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'question-code-problem' : undefined}
              onChange={(event) => {
                setCode(event.target.value);
                setProblem(null);
              }}
            />
          </div>
          {problem && (
            <p id="question-code-problem" className="field-error">
              {problem}
            </p>
          )}
          {checking && (
            <p role="status" className="muted">
              Checking the code…
            </p>
          )}
          <div className="row dialog-actions">
            <button type="submit" className="primary" disabled={checking}>
              {question.kind === 'new-password' ? 'Set password' : 'Send code'}
            </button>
            <LaterOrStop question={question} onStop={() => setConfirmingStop(true)} />
          </div>
        </form>
      )}
    </div>
  );
}

/**
 * The questions Rolecall waits on, in the window itself: what each asks, who waits, and a button
 * that brings its dialog back (after "Later"). The dialog's focus returns here when the control
 * that had it is gone.
 */
export function QuestionList({ compact = false }: { compact?: boolean }) {
  const open = useSnapshotStore((state) => state.snapshot.inputRequests);
  const entries = useSnapshotStore((state) => state.snapshot.entries);
  if (!open || open.length === 0) return null;
  return (
    <section aria-labelledby="questions-heading" className="questions">
      <h2 id="questions-heading" tabIndex={-1}>
        Waiting for you
      </h2>
      <ul className="list card">
        {open.map((question) => (
          <li key={question.key}>
            <span>
              <strong>{questionTitle(question)}</strong>
              {!compact && (
                <span className="muted who-waits">{whoWaits({ entries }, question)}</span>
              )}
            </span>
            <span className="buttons">
              <button type="button" className="primary" onClick={() => showQuestion(question.key)}>
                {question.kind === 'sign-in'
                  ? `Sign in to ${questionSubject(question)}…`
                  : question.kind === 'new-password'
                    ? `Choose a new password for ${questionSubject(question)}…`
                    : `Enter the code for ${questionSubject(question)}…`}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What every question offers besides its answer: put it aside, or stop waiting (confirmed). */
function LaterOrStop({ question, onStop }: { question: InputRequestView; onStop: () => void }) {
  return (
    <>
      <span className="spacer" />
      <button type="button" className="ghost" onClick={() => putQuestionAside(question)}>
        Later
      </button>
      <button type="button" className="ghost" onClick={onStop}>
        Stop waiting…
      </button>
    </>
  );
}
