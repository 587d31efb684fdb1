import { expect } from 'vitest';
import { contractProblems } from './openapi-contract.js';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A bare HTTP client for the emulator that checks every answer against DigitalOcean's API description. */
export function doClient(url: string, token: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are checked by the contract, not by types
  return async <T = Record<string, any>>(method: string, path: string, body?: unknown): Promise<Answer<T>> => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = text ? JSON.parse(text) : undefined;
    expect(contractProblems(method, path, res.status, parsed, res.headers)).toEqual([]);
    return { status: res.status, body: parsed as T, headers: res.headers };
  };
}
