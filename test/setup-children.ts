// Loaded before every test file (vitest setupFiles): kills what the file's tests spawned.
import { afterAll } from 'vitest';
import { killTrackedChildren } from './child-processes';

afterAll(killTrackedChildren);
