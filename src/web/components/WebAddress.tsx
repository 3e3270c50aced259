import { useTranslation } from 'react-i18next';

/** The host of an App's web address, as people read it: without `https://`. */
export function webAddressHost(address: string): string {
  return address.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/**
 * An App's web address (SPEC 4.13: `https://<name>.<APPS_DOMAIN>`) as a link that opens the
 * site in a new tab. `labelled` puts "Web address:" in front, for places that name the App
 * without a heading of their own (offer, Company page rows).
 */
export function WebAddress({ address, labelled = false, className }: { address: string; labelled?: boolean; className?: string }) {
  const { t } = useTranslation();
  const host = webAddressHost(address);
  const link = (
    <a href={address} target="_blank" rel="noopener noreferrer" className="web-address" aria-label={t('webAddress.open', { address: host })}>
      {host}
    </a>
  );
  if (!labelled) return className ? <span className={className}>{link}</span> : link;
  return (
    <span className={className}>
      <span className="web-address-label">{t('webAddress.label')}: </span>{link}
    </span>
  );
}
