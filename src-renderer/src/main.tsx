import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { followNewLinks, startWebSession } from './rolecall';
import { Root } from './Root';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
followNewLinks();
void startWebSession().finally(() =>
  createRoot(container).render(
    <StrictMode>
      <Root />
    </StrictMode>,
  ),
);
