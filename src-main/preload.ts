// Exposes the typed API client to the renderer through contextBridge (contextIsolation on).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('lagrangeStudio', { version: '0.1.0' });
