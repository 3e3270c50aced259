import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { queries } from '../api/queries';

/**
 * Who provides the service, with its terms and privacy notice, at the foot of every page
 * (issue 17). Plain links: the terms may live on the seller's own site (SELLER_TERMS_URL).
 */
export function SiteFooter() {
  const { t } = useTranslation();
  const site = useQuery(queries.site()).data;
  if (!site) return null;
  return (
    <div className="site-footer-seller" aria-label={t('client.footer.label')} role="group">
      <p>
        {t('client.footer.seller', { name: site.seller.name, address: site.seller.addressLines.join(', ') })}
        {site.seller.vatId ? <> {t('client.footer.vatId', { vatId: site.seller.vatId })}</> : null}
      </p>
      <p className="footer-links">
        <a href={site.termsUrl}>{t('client.footer.terms')}</a>
        <a href={site.privacyUrl}>{t('client.footer.privacy')}</a>
      </p>
    </div>
  );
}
