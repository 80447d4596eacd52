// Every repository bound to one executor (the database, or an open transaction).
import type { Repos } from '../../core/ports.ts';
import type { Executor } from '../client.ts';
import { createCustomerRepo } from './customer.repo.ts';
import { createEventRepo } from './event.repo.ts';
import { createFeedbackRepo } from './feedback.repo.ts';
import { createOutboxRepo } from './outbox.repo.ts';
import { createPeopleRepo } from './people.repo.ts';

export function createRepos(executor: Executor): Repos {
  return {
    customers: createCustomerRepo(executor),
    feedback: createFeedbackRepo(executor),
    people: createPeopleRepo(executor),
    events: createEventRepo(executor),
    outbox: createOutboxRepo(executor),
  };
}

export { createApiKeyRepo } from './api-key.repo.ts';
export { createCustomerRepo, createEventRepo, createFeedbackRepo, createOutboxRepo, createPeopleRepo };
