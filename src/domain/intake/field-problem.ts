import type { ZodError } from 'zod';

/** Why one field of a lead was refused; `code` picks the message (catalog key `field.<code>`). */
export type FieldProblemCode =
  | 'required'
  | 'one_of_required'
  | 'unknown_field'
  | 'wrong_type'
  | 'too_long'
  | 'too_many'
  | 'too_small'
  | 'invalid'
  | 'not_a_number'
  | 'email_invalid'
  | 'phone_invalid'
  | 'phone_invalid_in'
  | 'phone_needs_country'
  | 'phone_other_region'
  | 'phone_ambiguous'
  | 'source_unknown'
  | 'team_unknown'
  | 'budget_range'
  | 'currency_invalid'
  | 'company_size_invalid'
  | 'choice_invalid'
  | 'bad_characters'
  | 'reserved_key'
  | 'budget_swapped';

export interface FieldProblem {
  field: string;
  code: FieldProblemCode;
  params?: Record<string, string | number>;
  /** A warning about a value that could not be read and was stored as typed (never set on a refusal). */
  kept?: true;
  /**
   * A warning about a value left out of its field: kept as this attribute of the lead, or (null)
   * not kept at all (a counter that is no count, an attribute under a reserved name).
   */
  aside?: string | null;
  /** A warning about a text cut at its limit. */
  cut?: true;
}

/** zod issues to field problems, so every way in (API, CSV, modal) reports the same codes. */
export function problemsFromZod(error: ZodError): FieldProblem[] {
  return problemsFromIssues(error.issues);
}

export function problemsFromIssues(issues: readonly ZodError['issues'][number][]): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    const field = issue.path.join('.') || '(body)';
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), code: 'unknown_field' }));
      case 'invalid_type':
        return issue.message.includes('received undefined')
          ? [{ field, code: 'required' }]
          : [{ field, code: 'wrong_type', params: { expected: issue.expected } }];
      case 'too_big':
        return [
          issue.origin === 'string'
            ? { field, code: 'too_long', params: { max: Number(issue.maximum) } }
            : issue.origin === 'number'
              ? { field, code: 'invalid', params: { max: Number(issue.maximum) } }
              : { field, code: 'too_many', params: { max: Number(issue.maximum) } },
        ];
      case 'too_small':
        if (issue.origin === 'number') return [{ field, code: 'too_small', params: { min: Number(issue.minimum) } }];
        return [{ field, code: issue.origin === 'string' ? 'required' : 'invalid' }];
      case 'custom': {
        const code = issue.params?.code;
        return [{ field, code: code === 'bad_characters' || code === 'reserved_key' ? code : 'invalid' }];
      }
      case 'invalid_key': {
        // A record's key refused by its own check (a reserved name): that check's code.
        const inner = issue.issues[0];
        const code = inner?.code === 'custom' ? inner.params?.code : undefined;
        return [{ field, code: code === 'reserved_key' || code === 'bad_characters' ? code : 'invalid' }];
      }
      case 'invalid_value':
        return [{ field, code: 'choice_invalid', params: { choices: issue.values.map(String).join(', ') } }];
      default:
        return [{ field, code: 'invalid' }];
    }
  });
}
