import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

// The page gets window.marketdesk = { invoke, on } and nothing else (docs/reliability-checklist.md SEC-7).
contextBridge.exposeInMainWorld('marketdesk', createBridge(ipcRenderer));
