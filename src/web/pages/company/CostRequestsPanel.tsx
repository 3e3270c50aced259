import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Company } from '../../api/models';
import { keys } from '../../api/queries';
import { Button } from '../../components/Button';
import { ErrorMessage, Notice } from '../../components/Feedback';
import { toApiError } from '../../components/Form';
import { Section } from '../../components/Layout';
import { QueryState } from '../../components/QueryState';
import { personName } from '../../format';
import { useFormat } from '../../i18n';
import { can } from '../../permissions';
import { costKeys, costQueries, costRequests, type CostRequest } from './costsApi';
import './team.css';

function RequestItem({ request, isOwner, busy, onDecide }: {
  request: CostRequest; isOwner: boolean; busy: boolean; onDecide: (request: CostRequest, verb: 'approve' | 'decline') => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const what = request.kind === 'scale' ? t('cost.web.panel.kind.scale', { app: request.appName }) : t('cost.web.panel.kind.book', { app: request.appName });
  return (
    <li className="item">
      <div className="item-main">
        <p className="item-title">{what}</p>
        <p>{t('cost.web.panel.amounts', { before: format.money(request.monthlyBefore), after: format.money(request.monthlyAfter) })}</p>
        {request.monthlyBeforeWithVat && request.monthlyAfterWithVat ? (
          <p><strong>{t('cost.web.panel.amountsGross', { before: format.money(request.monthlyBeforeWithVat), after: format.money(request.monthlyAfterWithVat) })}</strong></p>
        ) : null}
        <p className="item-meta">
          <span className={`badge badge-cost-${request.state}`}>{t(`cost.web.panel.state.${request.state}`)}</span>
          <span>{t('cost.web.panel.requestedBy', { name: personName(request.requestedBy), date: format.date(request.createdAt) })}</span>
          {request.state === 'pending' ? <span>{t('cost.web.panel.expires', { date: format.date(request.expiresAt) })}</span> : null}
        </p>
      </div>
      {isOwner && request.state === 'pending' ? (
        <div className="team-actions">
          <Button variant="primary" busy={busy} onPress={() => onDecide(request, 'approve')} aria-label={t('cost.web.panel.approveLabel', { what })}>{t('cost.web.panel.approve')}</Button>
          <Button isDisabled={busy} onPress={() => onDecide(request, 'decline')} aria-label={t('cost.web.panel.declineLabel', { what })}>{t('cost.web.panel.decline')}</Button>
        </div>
      ) : null}
    </li>
  );
}

/**
 * Issue 17 (SPEC 4.12): requests to raise the monthly cost. Owners see every pending request
 * with the amounts excluding and including VAT and approve or decline it; an admin sees their
 * own requests waiting. Hidden from everyone else. Mount it on the Company page (any tab that
 * owners and admins see first): `<CostRequestsPanel company={company} />`.
 */
export function CostRequestsPanel({ company }: { company: Company }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const allowed = can(company.role, 'costRequest.view');
  const query = useQuery({ ...costQueries.requests(company.id), enabled: allowed });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!allowed) return null;
  const isOwner = company.role === 'owner';

  const decide = async (request: CostRequest, verb: 'approve' | 'decline') => {
    setBusyId(request.id);
    setNotice(null);
    setError(null);
    try {
      await (verb === 'approve' ? costRequests.approve(company.id, request.id) : costRequests.decline(company.id, request.id));
      setNotice(verb === 'approve' ? t('cost.web.panel.approved') : t('cost.web.panel.declined'));
      if (verb === 'approve') {
        void client.invalidateQueries({ queryKey: keys.apps });
        void client.invalidateQueries({ queryKey: keys.app(request.appName) });
        void client.invalidateQueries({ queryKey: keys.companyAppNames(company.id) });
      }
    } catch (err) {
      setError(toApiError(err).detail);
    } finally {
      setBusyId(null);
      void client.invalidateQueries({ queryKey: costKeys.requests(company.id) });
      void client.invalidateQueries({ queryKey: keys.activity(company.id) });
    }
  };

  return (
    <Section title={isOwner ? t('cost.web.panel.title') : t('cost.web.panel.titleOwn')} id="cost-requests">
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      {error ? <ErrorMessage focus>{error}</ErrorMessage> : null}
      <QueryState query={query}>
        {(data) => {
          const pending = data.items.filter((r) => r.state === 'pending');
          return pending.length === 0 ? <p className="hint">{t('cost.web.panel.none')}</p> : (
            <ul className="item-list" aria-label={t('cost.web.panel.list')}>
              {pending.map((r) => <RequestItem key={r.id} request={r} isOwner={isOwner} busy={busyId === r.id} onDecide={(req, verb) => void decide(req, verb)} />)}
            </ul>
          );
        }}
      </QueryState>
    </Section>
  );
}
