import { isDomainError } from '../../src/domain/shared/errors.js';

/** 'done', or the code of the domain error the work was refused with; any other error fails the test. */
export const codeOf = (work: Promise<unknown>): Promise<string> =>
  work.then(
    () => 'done',
    (e: unknown) => (isDomainError(e) ? e.code : Promise.reject(e)),
  );
