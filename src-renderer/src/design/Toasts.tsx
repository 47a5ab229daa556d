import { useToastStore } from '../toasts';
import { CheckIcon } from './icons';

/** Short notes that something happened ("Switched to dev"), read out politely, gone by themselves. */
export function Toasts() {
  const toasts = useToastStore((state) => state.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <p key={toast.id} className="toast">
          <CheckIcon className="icon" />
          {toast.text}
        </p>
      ))}
    </div>
  );
}
