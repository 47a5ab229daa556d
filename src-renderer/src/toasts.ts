import { create } from 'zustand';

export interface Toast {
  id: number;
  text: string;
}

/** How long a note stays: long enough to read twice. */
export const TOAST_MS = 3500;

export const useToastStore = create<{ toasts: Toast[] }>(() => ({ toasts: [] }));

let nextId = 1;

/** Shows a short note; the newest three stay at most. */
export function toast(text: string): void {
  const id = nextId++;
  useToastStore.setState((state) => ({ toasts: [...state.toasts, { id, text }].slice(-3) }));
  setTimeout(
    () => useToastStore.setState((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
    TOAST_MS,
  );
}
