// Worker: the second thread of a neural training step — its half of the points, on memory it
// shares with the training thread (engine/training/fused/shared-step.ts), until told to stop.
import { workerData } from 'node:worker_threads';
import { networkKernel, type NetworkStepRequest } from '../engine/training/fused/neural-kernel';
import { serveSteps } from '../engine/training/fused/shared-step';

const request = (workerData as { data: NetworkStepRequest }).data;
const kernel = networkKernel(
  request.structure,
  request.p,
  request.data,
  request.loss,
  request.options,
);
serveSteps(request.buffer, request.p, kernel);
