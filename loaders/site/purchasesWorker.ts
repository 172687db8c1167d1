// A worker thread of purchasesInParallel.ts: computes its task and sends the terms back, their buffers moved, not copied.
import {parentPort, workerData} from "node:worker_threads";
import {purchasesOfTask, type PurchasesTask} from "./purchasesInParallel.js";

const result = purchasesOfTask(workerData as PurchasesTask);
parentPort!.postMessage(result, [result.horizon.buffer, result.nextYear.buffer]);
