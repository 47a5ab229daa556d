import type { TimeLeft } from '../time-left';

/**
 * The remaining lifetime as a bar: the fill is what is left, the mark where renewal starts.
 * Drawn with SVG attributes (no inline styles), and hidden from screen readers, who get the
 * words beside it.
 */
export function TimeBar({ left, renewsAt, tone }: Pick<TimeLeft, 'left' | 'renewsAt' | 'tone'>) {
  if (left === null) return null;
  return (
    <svg className={`time-bar time-${tone}`} height="6" aria-hidden="true" focusable="false">
      <rect className="track" x="0" y="1" width="100%" height="4" rx="2" />
      {left > 0 && (
        <rect
          className="fill"
          x="0"
          y="1"
          width={`${(left * 100).toFixed(2)}%`}
          height="4"
          rx="2"
        />
      )}
      {renewsAt !== null && (
        <rect
          className="mark"
          x={`${(renewsAt * 100).toFixed(2)}%`}
          y="0"
          width="2"
          height="6"
          rx="1"
          transform="translate(-1 0)"
        />
      )}
    </svg>
  );
}
