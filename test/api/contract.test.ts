import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  ApiClient,
  ApiHandlers,
  Channel,
  RequestOf,
  ResponseOf,
} from '../../src-shared/api/contract';
import { CHANNELS, isChannel } from '../../src-shared/api/contract';
import { requestSchemas } from '../../src-shared/api/request-schemas';
import { type createHandlers } from '../../src-main/api/handlers';

describe('the API contract', () => {
  it('handlers and clients agree on every channel at the type level', () => {
    // A handler's parameter and result are exactly the contract's request and response.
    expectTypeOf<Parameters<ApiHandlers['runs:start']>[0]>().toEqualTypeOf<
      RequestOf<'runs:start'>
    >();
    expectTypeOf<Awaited<ReturnType<ApiHandlers['runs:get']>>>().toEqualTypeOf<
      ResponseOf<'runs:get'>
    >();
    // createHandlers must implement every channel of the contract, no more, no less.
    expectTypeOf<ReturnType<typeof createHandlers>>().toEqualTypeOf<ApiHandlers>();
    // The client's invoke returns the channel's response type.
    expectTypeOf<ReturnType<ApiClient['invoke']>>().toEqualTypeOf<Promise<ResponseOf<Channel>>>();
    expectTypeOf<ApiHandlers>().toHaveProperty('system:check');
    // @ts-expect-error — a channel that is not in the contract does not type-check
    expectTypeOf<ApiHandlers>().toHaveProperty('runs:explode');
  });

  it('lists every channel once and has a request schema for each', () => {
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length);
    expect(Object.keys(requestSchemas).sort()).toEqual([...CHANNELS].sort());
    expect(isChannel('runs:list')).toBe(true);
    expect(isChannel('__proto__')).toBe(false);
    expect(isChannel('constructor')).toBe(false);
  });
});
