import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startWebSession } from './rolecall';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
void startWebSession().finally(() =>
  createRoot(container).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
