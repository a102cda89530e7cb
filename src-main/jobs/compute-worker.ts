// Worker: answers the API's input-dependent computations (system check, fixed points, dataset
// previews, fields) off the main thread; one request at a time, errors sent back with their code.
import { parentPort } from 'node:worker_threads';
import { compute } from '../study/compute-requests';
import { toEnvelope } from '../../src-shared/errors';
import type { ComputeReply, ComputeTask } from './compute-pool';

const port = parentPort!;
port.on('message', (task: ComputeTask) => {
  void (async () => {
    let reply: ComputeReply;
    try {
      reply = {
        id: task.id,
        ok: true,
        value: await compute(task.channel, task.request as never, (progress) =>
          port.postMessage({ id: task.id, progress } satisfies ComputeReply),
        ),
      };
    } catch (err) {
      reply = { id: task.id, ok: false, error: toEnvelope(err) };
    }
    port.postMessage(reply);
  })();
});
port.postMessage({ ready: true } satisfies ComputeReply);
