export function BookAppPage({ companyId }: { companyId: string }) { return <p>{companyId}</p>; }
