import { Page } from '../components/Layout';
import { Link } from '../router';

export function NotFoundPage({ what = 'page' }: { what?: string }) {
  return (
    <Page title={`This ${what} does not exist`} width="narrow">
      <p>It may have been deleted, or you may not have access to it. <Link to="/">Go to your Dashboard</Link>.</p>
    </Page>
  );
}
