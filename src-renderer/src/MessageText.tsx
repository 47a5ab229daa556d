import { splitCode } from './message-text';

/** A message from the core, with its `commands` shown as code. */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {splitCode(text).map((part, index) =>
        part.code ? <code key={index}>{part.text}</code> : part.text,
      )}
    </>
  );
}
