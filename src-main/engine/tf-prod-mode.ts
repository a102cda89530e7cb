import { enableProdMode } from '@tensorflow/tfjs-core';

// Production mode only silences tfjs's console warnings. Where the engine is bundled (the built
// app and CLI) the backends bring the CommonJS build of tfjs-core beside the bundled one, and
// each copy announces "Platform node has already been set" when it loads; both copies share one
// global engine, registry and environment, so nothing else is duplicated.
enableProdMode();
