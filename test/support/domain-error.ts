import { type DomainError, isDomainError } from '../../src/domain/shared/errors.js';

/**
 * 'done' (or what `done` makes of the result), or the code of the domain error the work was
 * refused with; any other error fails the test.
 */
export const codeOf = <T>(work: Promise<T>, done: (value: T) => string = () => 'done'): Promise<string> =>
  work.then(done, (e: unknown) => (isDomainError(e) ? e.code : Promise.reject(e)));

/** The domain error the work was refused with (its code and params), or null when it was done. */
export const refusalOf = (work: Promise<unknown>): Promise<DomainError | null> =>
  work.then(
    () => null,
    (e: unknown) => (isDomainError(e) ? e : Promise.reject(e)),
  );
