import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/server/config.js';
import { testConfig } from '../../harness/testApp.js';

/** Issue 13: the git SSH settings of API.md's configuration table. */
describe('SSH configuration (issue 13)', () => {
  it('defaults: port 2222, the host of PUBLIC_URL in clone URLs, repositories in DATA_DIR/repos', () => {
    const config = testConfig({ DATA_DIR: '/srv/dash' });
    expect(config.sshPort).toBe(2222);
    expect(config.sshPublicHost).toBe('dashboard.test');
    expect(config.reposDir).toBe(path.resolve('/srv/dash/repos'));
  });

  it('SSH_PORT=0 turns the server off; SSH_PUBLIC_HOST and REPOS_DIR are taken as given', () => {
    const config = testConfig({ SSH_PORT: '0', SSH_PUBLIC_HOST: 'git.example.com', REPOS_DIR: '/var/repos' });
    expect(config).toMatchObject({ sshPort: 0, sshPublicHost: 'git.example.com', reposDir: '/var/repos' });
    expect(testConfig({ SSH_PUBLIC_HOST: '::1' }).sshPublicHost).toBe('[::1]');
  });

  it('refuses a bad port or a host with a scheme, naming the variable', () => {
    expect(() => testConfig({ SSH_PORT: '70000' })).toThrow(ConfigError);
    expect(() => testConfig({ SSH_PORT: 'ssh' })).toThrow(/SSH_PORT="ssh"/);
    expect(() => testConfig({ SSH_PUBLIC_HOST: 'ssh://git.example.com' })).toThrow(/SSH_PUBLIC_HOST=/);
    expect(() => testConfig({ SSH_PUBLIC_HOST: 'git.example.com:22' })).toThrow(/SSH_PUBLIC_HOST=/);
  });
});
