import { describe, expect, it } from 'vitest';
import { emptyForm, formFrom, splitUrlPassword, toInput, validate } from '../../src/lib/connections/form';
import { savedConnection } from './fixtures';

describe('connection form model', () => {
  it('never fills the password from a saved connection', () => {
    const form = formFrom(savedConnection({ has_password: true }));
    expect(form.password).toBe('');
    expect(toInput(form, 'c1').password).toBeNull();
  });

  it('sends null, never "", for an empty password', () => {
    const form = { ...emptyForm(), label: 'x', database: 'd', user: 'u', password: '' };
    expect(toInput(form, null).password).toBeNull();
  });

  it('lets "forget" win over a typed password', () => {
    const form = { ...formFrom(savedConnection()), password: 'typed', forget_password: true };
    expect(toInput(form, 'c1')).toMatchObject({ password: null, forget_password: true });
  });

  it('splits a password out of a URL, percent-decoded', () => {
    expect(splitUrlPassword('postgres://me:a%2Fb@h:5432/db')).toEqual({ url: 'postgres://me@h:5432/db', password: 'a/b' });
    expect(splitUrlPassword('postgresql://me@h/db')).toEqual({ url: 'postgresql://me@h/db', password: null });
    expect(splitUrlPassword('postgresql://h1,h2/db?user=me')).toEqual({ url: 'postgresql://h1,h2/db?user=me', password: null });
  });

  it('trims, converts the port and leaves an empty root certificate out', () => {
    const form = { ...emptyForm(), label: ' Local ', host: ' localhost ', port: '5433', database: 'demo', user: 'pg', sslrootcert: ' ' };
    expect(toInput(form, null).target).toEqual({
      kind: 'fields',
      host: 'localhost',
      port: 5433,
      database: 'demo',
      user: 'pg',
      sslmode: 'prefer',
      sslrootcert: null,
    });
  });

  it('validates by target kind', () => {
    expect(validate({ ...emptyForm(), label: 'x', database: 'd', user: 'u' })).toEqual({});
    expect(Object.keys(validate({ ...emptyForm(), host: '', port: '0' })).sort()).toEqual(['database', 'host', 'label', 'port', 'user']);
    expect(Object.keys(validate({ ...emptyForm(), mode: 'url', label: 'x', url: 'mysql://x' }))).toEqual(['url']);
  });
});
