import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { Stripe, StripeElements } from '@stripe/stripe-js';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldProblem } from '../api/client';
import { paymentSandbox, payments } from '../api/endpoints';
import type { BodyOf } from '../api/models';
import { cardProblems, confirmStripeCard, getStripe, parseExpiry, type CardInput } from '../card';
import { TextField } from './fields';
import { invalid } from './Form';

/** What the card form is for: the server makes the SetupIntent for that request (ADR 0085). */
export type CardPurpose = BodyOf<'/api/v1/payments/setup-intent', 'post'>;

/**
 * Hands the card to the sandbox provider and returns its token: the card number never goes to
 * our own API. Errors are mapped onto the card fields.
 */
export async function tokenizeCard(card: CardInput): Promise<string> {
  const problems = cardProblems(card);
  if (problems.length) throw invalid(problems);
  const number = card.number.replace(/[\s-]/g, '');
  const expiry = parseExpiry(card.expiry);
  try {
    const result = await paymentSandbox.tokenize({ number, expMonth: expiry!.expMonth, expYear: expiry!.expYear, cvc: card.cvc.trim() });
    return result.token;
  } catch (error) {
    if (error instanceof ApiError) {
      const map: Record<string, string> = { number: 'card.number', expMonth: 'card.expiry', expYear: 'card.expiry', cvc: 'card.cvc' };
      throw new ApiError({ status: error.status, code: error.code, title: error.title, detail: error.detail,
        errors: error.errors.map((e) => ({ ...e, path: map[e.path] ?? e.path })) });
    }
    throw error;
  }
}

/** The sandbox's card fields (PAYMENT_PROVIDER=sandbox). */
export function CardFields({ card, onChange, fieldError }: { card: CardInput; onChange: (card: CardInput) => void; fieldError: (path: string) => string | undefined }) {
  const { t } = useTranslation();
  const paymentError = fieldError('paymentMethod') ?? fieldError('paymentMethod.token');
  return (
    <>
      <TextField label={t('card.number')} name="cardNumber" value={card.number} onChange={(number) => onChange({ ...card, number })}
        isRequired autoComplete="cc-number" inputMode="numeric" spellCheck={false}
        error={fieldError('card.number') ?? paymentError} />
      <div className="field-row">
        <TextField label={t('card.expiry')} name="cardExpiry" value={card.expiry} onChange={(expiry) => onChange({ ...card, expiry })}
          isRequired autoComplete="cc-exp" inputMode="numeric" placeholder={t('card.expiryFormat')} description={t('card.expiryFormat')} error={fieldError('card.expiry')} />
        <TextField label={t('card.cvc')} name="cardCvc" value={card.cvc} onChange={(cvc) => onChange({ ...card, cvc })}
          isRequired autoComplete="cc-csc" inputMode="numeric" description={t('card.cvcHint')} error={fieldError('card.cvc')} />
      </div>
    </>
  );
}

interface StripeHandles { stripe: Stripe | null; elements: StripeElements | null }

function StripeBridge({ handles }: { handles: RefObject<StripeHandles> }) {
  const stripe = useStripe();
  const elements = useElements();
  useEffect(() => { handles.current = { stripe, elements }; }, [handles, stripe, elements]);
  return null;
}

/** Stripe's Payment Element (PAYMENT_PROVIDER=stripe), in deferred mode: the SetupIntent is made on submit. */
function StripeCardField({ publishableKey, currency, handles, error }: { publishableKey: string; currency: 'EUR' | 'USD'; handles: RefObject<StripeHandles>; error?: string }) {
  const { t, i18n } = useTranslation();
  const stripe = useMemo(() => getStripe(publishableKey), [publishableKey]);
  // Stripe.js writes its own labels and card errors in the page's language (issue 17).
  const locale = i18n.language === 'de' ? 'de' : 'en';
  return (
    <div className="field">
      <span className="field-label">{t('payments.card.label')}</span>
      <Elements key={locale} stripe={stripe} options={{ mode: 'setup', currency: currency.toLowerCase(), locale }}>
        <StripeBridge handles={handles} />
        <PaymentElement options={{ layout: 'tabs' }} />
      </Elements>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </div>
  );
}

/**
 * The card part of a form, whichever provider the server uses (GET /api/v1/payments/config):
 * `fields(fieldError)` renders the sandbox's fields or Stripe's Payment Element; `problems()`
 * are the card's own missing fields (none with Stripe, whose element checks itself); `tokenize()`
 * gives the token the form sends as `paymentMethod:{token}`.
 */
export function useCardForm(purpose: CardPurpose, currency: 'EUR' | 'USD' = 'EUR') {
  const { t } = useTranslation();
  const config = useQuery({ queryKey: ['payments', 'config'], queryFn: () => payments.config(), staleTime: Infinity });
  const [card, setCard] = useState<CardInput>({ number: '', expiry: '', cvc: '' });
  const handles = useRef<StripeHandles>({ stripe: null, elements: null });
  const stripeKey = config.data?.provider === 'stripe' ? config.data.publishableKey : null;
  const purposeKey = JSON.stringify(purpose);

  const tokenize = useCallback(async (): Promise<string> => {
    if (!stripeKey) return tokenizeCard(card);
    return confirmStripeCard({
      ...handles.current,
      createSetupIntent: () => payments.setupIntent(JSON.parse(purposeKey) as CardPurpose),
      returnUrl: window.location.href,
    });
  }, [stripeKey, card, purposeKey]);

  const problems = useCallback((): FieldProblem[] => (stripeKey ? [] : cardProblems(card)), [stripeKey, card]);
  const reset = useCallback(() => setCard({ number: '', expiry: '', cvc: '' }), []);

  const fields = (fieldError: (path: string) => string | undefined): ReactNode => {
    if (config.isPending) return <p className="hint">{t('payments.card.loading')}</p>;
    if (config.isError) return <p className="field-error" role="alert">{t('payments.card.unavailable')}</p>;
    if (stripeKey) {
      return <StripeCardField publishableKey={stripeKey} currency={currency} handles={handles} error={fieldError('paymentMethod') ?? fieldError('paymentMethod.token')} />;
    }
    return <CardFields card={card} onChange={setCard} fieldError={fieldError} />;
  };

  return { provider: config.data?.provider ?? null, fields, tokenize, problems, reset, card, setCard };
}
