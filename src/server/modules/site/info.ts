import type { Config } from '../../config.js';

/** Who provides the service and where its terms are: the footer of every page and mail (issue 17, SPEC 4.12). */
export interface SiteInfo {
  seller: { name: string; addressLines: string[]; country: string; vatId: string | null };
  termsUrl: string;
  privacyUrl: string;
}

export function siteInfo(config: Config): SiteInfo {
  const { name, addressLines, country, vatId, termsUrl, privacyUrl } = config.seller;
  return {
    seller: { name, addressLines, country, vatId },
    termsUrl: termsUrl ?? `${config.publicUrl}/terms`,
    privacyUrl: privacyUrl ?? `${config.publicUrl}/privacy`,
  };
}

