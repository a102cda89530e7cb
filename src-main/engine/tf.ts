/**
 * The tfjs this engine uses: core ops with their gradients and the cpu backend, which is always
 * present (wasm and tfjs-node load on top, see backend.ts). The umbrella package `@tensorflow/tfjs`
 * would add layers, converter, webgl and data, none of which the engine needs.
 *
 * Order matters: core first (it creates the global engine), then the backend, then the gradients,
 * which tfjs-core ships only as ES modules (dist/register_all_gradients.js).
 */
export * from '@tensorflow/tfjs-core';
import './tf-prod-mode';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
