import { describe, expect, it } from 'vitest';
import { checkHostname, challengeName, webAddressOf } from '../../src/shared/hostname';
import { en } from '../../src/shared/i18n/en';
import { de } from '../../src/shared/i18n/de';

/** Issue 17: the host name rules the web explains before sending (the server decides with the same function). */
const own = { appsDomain: 'apps.example.net', dashboardHost: 'dashboard.example.net' };

describe('checkHostname (src/shared/hostname.ts)', () => {
  it('normalises what people type: trims, lowercases, IDNA to punycode', () => {
    expect(checkHostname('  WWW.Example.COM ', own)).toEqual({ ok: true, hostname: 'www.example.com' });
    expect(checkHostname('Bäckerei.München.de', own)).toEqual({ ok: true, hostname: 'xn--bckerei-5wa.xn--mnchen-3ya.de' });
    expect(checkHostname('ｅｘａｍｐｌｅ.com', own)).toEqual({ ok: true, hostname: 'example.com' });
    expect(checkHostname('xn--mnchen-3ya.de', own)).toEqual({ ok: true, hostname: 'xn--mnchen-3ya.de' });
    expect(checkHostname('shop.example.co.uk', own)).toEqual({ ok: true, hostname: 'shop.example.co.uk' });
  });

  it.each([
    ['', 'empty'], ['http://example.com', 'has_scheme'], ['example.com/x', 'has_port_or_path'], ['example.com.', 'trailing_dot'],
    ['10.0.0.1', 'ip_address'], ['0x7f.1', 'ip_address'], ['fe80::1', 'ip_address'], ['intranet', 'single_label'],
    ['*.example.com', 'bad_characters'], ['a_b.example.com', 'bad_characters'], ['a.-b.com', 'bad_label'], ['xn--zz.com', 'bad_label'],
    [`${'a'.repeat(64)}.com`, 'label_too_long'], ['nas.home', 'reserved_tld'], ['www.apps.example.net', 'apps_domain'],
    ['dashboard.example.net', 'dashboard_host'], ['x'.repeat(301), 'too_long'],
  ])('refuses %j (%s)', (input, problem) => {
    expect(checkHostname(input, own)).toEqual({ ok: false, problem });
  });

  it('has words in English and German for every refusal', () => {
    const problems = ['empty', 'too_long', 'has_scheme', 'has_port_or_path', 'bad_characters', 'trailing_dot', 'ip_address', 'single_label', 'label_too_long', 'bad_label', 'reserved_tld', 'apps_domain', 'dashboard_host'];
    for (const p of problems) {
      expect(en.domains.problems[p as keyof typeof en.domains.problems], p).toBeTruthy();
      expect(de.domains.problems[p as keyof typeof de.domains.problems], p).toBeTruthy();
    }
  });

  it('names the web address and the TXT record', () => {
    expect(webAddressOf('baeckerei', 'apps.localhost')).toBe('https://baeckerei.apps.localhost');
    expect(challengeName('www.example.com')).toBe('_dashboard-challenge.www.example.com');
  });
});
