import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queries } from '../api/queries';
import { Page } from '../components/Layout';

/**
 * /terms and /privacy: stand-ins until the operator sets SELLER_TERMS_URL and
 * SELLER_PRIVACY_URL (docs/configuration.md). They say so, and name the seller.
 */
export function LegalPage({ kind }: { kind: 'terms' | 'privacy' }) {
  const { t } = useTranslation();
  const site = useQuery(queries.site()).data;
  return (
    <Page title={kind === 'terms' ? t('client.legal.termsTitle') : t('client.legal.privacyTitle')} width="narrow">
      <p className="hint">{t('client.legal.sample')}</p>
      <p>{kind === 'terms' ? t('client.legal.termsBody') : t('client.legal.privacyBody')}</p>
      {site ? <p>{t('client.legal.contact', { name: site.seller.name, address: site.seller.addressLines.join(', ') })}</p> : null}
    </Page>
  );
}
