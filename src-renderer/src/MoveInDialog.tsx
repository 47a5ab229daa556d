import { useEffect, useRef, useState } from 'react';
import type { ImportOrigin, ImportPreviewView, ImportResultView } from '../../src-shared/import';
import { refreshAll } from './actions';
import { AddProfileIcon } from './design/icons';
import { MessageText } from './MessageText';
import { nextSteps, previewVerdict, rowResult, toolName } from './move-in';
import { rolecallApi } from './rolecall';
import { useMoveInStore } from './stores';

type Step =
  | { kind: 'reading' }
  | { kind: 'preview'; preview: ImportPreviewView }
  | { kind: 'importing'; preview: ImportPreviewView }
  | { kind: 'done'; result: ImportResultView }
  | { kind: 'failed'; error: string };

const words = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Moving in from Leapp or aws-vault: the dry run's table first (nothing changed), then Import,
 * then what came in and what to do next. Lives outside the empty state, which goes away as soon
 * as the imported profiles are listed.
 */
export function MoveInDialog() {
  const from = useMoveInStore((state) => state.from);
  const dialog = useRef<HTMLDialogElement>(null);
  const returnFocusTo = useRef<Element | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (from && !element.open) {
      returnFocusTo.current = document.activeElement;
      element.showModal();
    } else if (!from && element.open) element.close();
  }, [from]);

  const onClose = () => {
    useMoveInStore.setState({ from: null });
    const back = returnFocusTo.current;
    returnFocusTo.current = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  };

  return (
    <dialog ref={dialog} className="move-in" aria-labelledby="move-in-title" onClose={onClose}>
      {from && <MoveIn key={from} from={from} />}
    </dialog>
  );
}

function MoveIn({ from }: { from: ImportOrigin }) {
  const [step, setStep] = useState<Step>({ kind: 'reading' });
  const tool = toolName(from);

  useEffect(() => {
    let current = true;
    rolecallApi()
      .previewImport({ from })
      .then(
        (preview) => current && setStep({ kind: 'preview', preview }),
        (error: unknown) => current && setStep({ kind: 'failed', error: words(error) }),
      );
    return () => {
      current = false;
    };
  }, [from]);

  const run = (preview: ImportPreviewView) => {
    setStep({ kind: 'importing', preview });
    rolecallApi()
      .runImport({ from })
      .then(
        async (result) => {
          setStep({ kind: 'done', result });
          await refreshAll();
        },
        (error: unknown) => setStep({ kind: 'failed', error: words(error) }),
      );
  };
  const close = () => useMoveInStore.setState({ from: null });

  return (
    <div className="dialog-body">
      <h2 id="move-in-title">
        <AddProfileIcon className="icon" />
        Move in from {tool}
      </h2>
      {step.kind === 'reading' && (
        <p role="status" className="muted">
          Reading what {tool} has…
        </p>
      )}
      {step.kind === 'failed' && (
        <p className="error-detail" role="alert">
          <MessageText text={step.error} />
        </p>
      )}
      {(step.kind === 'preview' || step.kind === 'importing') && (
        <>
          <ImportTable rows={step.preview.rows} done={false} label={`What ${tool} has`} />
          <p className="muted">{previewVerdict(step.preview).text}</p>
          {step.kind === 'importing' && (
            <p role="status" className="muted">
              Importing…
            </p>
          )}
        </>
      )}
      {step.kind === 'done' && (
        <>
          <ImportTable rows={step.result.rows} done label={`What came in from ${tool}`} />
          <p role="status">
            <MessageText text={step.result.summary} />
          </p>
          {nextSteps(step.result).map((line) => (
            <p key={line}>
              <MessageText text={line} />
            </p>
          ))}
          <p className="muted">
            <MessageText text={step.result.cleanUp} />
          </p>
        </>
      )}
      <div className="row dialog-actions">
        {(step.kind === 'preview' || step.kind === 'importing') && (
          <button
            type="button"
            className="primary"
            autoFocus
            disabled={step.kind === 'importing' || !previewVerdict(step.preview).canImport}
            onClick={() => run(step.preview)}
          >
            Import
          </button>
        )}
        <span className="spacer" />
        <button
          type="button"
          className={step.kind === 'done' ? 'primary' : 'ghost'}
          onClick={close}
          {...(step.kind === 'done' || step.kind === 'failed' ? { autoFocus: true } : {})}
        >
          {step.kind === 'done' ? 'Done' : 'Close'}
        </button>
      </div>
    </div>
  );
}

function ImportTable({
  rows,
  done,
  label,
}: {
  rows: ImportPreviewView['rows'];
  done: boolean;
  label: string;
}) {
  if (rows.length === 0) return null;
  return (
    <div className="move-in-rows">
      <table className="slots" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Name there</th>
            <th scope="col">In Rolecall</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={`${row.kind}:${row.from}:${index}`} data-outcome={row.outcome}>
              <td>{row.kind}</td>
              <td>{row.from}</td>
              <td>{row.name || '–'}</td>
              <td>{rowResult(row, done)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
