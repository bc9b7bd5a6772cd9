import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '@/domain/roles';
import { SignIn } from '@/features/session/sign-in';
import { tokenStorage } from '@/lib/token-storage';
import { apiError, fakeFetch, json } from '../backend/fake-fetch';
import { USERS } from '../backend/fixtures';
import { renderWithBackend } from './render-app';

afterEach(() => tokenStorage.clear());

describe('signing in', () => {
  it('in demo mode, signs in as the user picked and keeps the token for this tab', async () => {
    const { fetch, calls } = fakeFetch({
      'GET /api/v1/auth': () => json(200, { demo: true, users: Object.values(USERS) }),
      'POST /api/v1/session': () => json(200, { token: 'token-of-sam', user: USERS.sre }),
    });
    const signedIn = vi.fn<(user: User) => void>();
    renderWithBackend(<SignIn onSignedIn={signedIn} />, fetch);
    await userEvent.click(await screen.findByRole('button', { name: /Sign in as Sam SRE/ }));
    await waitFor(() => expect(signedIn).toHaveBeenCalledWith(USERS.sre));
    expect(calls.find((c) => c.path === '/api/v1/session')?.body).toEqual({ user: 'sam-sre' });
    expect(tokenStorage.get()).toBe('token-of-sam');
    expect(sessionStorage.getItem('faultline.token')).toBe('token-of-sam');
    expect(localStorage.getItem('faultline.token')).toBeNull();
  });

  it('without demo users, asks for a token and keeps it only once the server knows it', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/auth': () => json(200, { demo: false, users: [] }),
      'GET /api/v1/me': [
        () => apiError(401, 'unauthenticated', 'unknown token'),
        () => json(200, { user: USERS.admin }),
      ],
    });
    const signedIn = vi.fn<(user: User) => void>();
    renderWithBackend(<SignIn onSignedIn={signedIn} />, fetch);
    expect(screen.queryByRole('button', { name: /Sign in as/ })).not.toBeInTheDocument();

    await userEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Paste your access token.')).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Access token'), 'wrong-token');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Your session has ended. Sign in again.',
    );
    expect(tokenStorage.get()).toBeNull();

    await userEvent.clear(screen.getByLabelText('Access token'));
    await userEvent.type(screen.getByLabelText('Access token'), 'right-token');
    await userEvent.click(screen.getByRole('checkbox', { name: 'Stay signed in on this device' }));
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(signedIn).toHaveBeenCalledWith(USERS.admin));
    expect(localStorage.getItem('faultline.token')).toBe('right-token');
  });

  it('says what to do when the server cannot be reached', async () => {
    const { fetch } = fakeFetch({
      'GET /api/v1/auth': () => {
        throw new TypeError('fetch failed');
      },
    });
    renderWithBackend(<SignIn onSignedIn={() => {}} />, fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent(/Cannot reach the Faultline server/);
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
