import { useEffect, useState } from 'react';

/** "Rolecall 1.4.0 is ready; it installs when you quit Rolecall." — desktop app only. */
export function UpdateNotice() {
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => window.rolecall?.subscribeUpdateNotice(setNotice), []);
  return notice ? (
    <p role="status" className="update-notice">
      {notice}
    </p>
  ) : null;
}
