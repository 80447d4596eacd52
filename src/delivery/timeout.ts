// A send that gets no answer in time fails (and is retried) instead of holding its batch.
import { ChatError } from './errors.ts';

export class DeliveryTimeout extends ChatError {}

export async function withTimeout<T>(promise: Promise<T>, ms: number, from = 'the chat platform'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeliveryTimeout(`no answer from ${from} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
