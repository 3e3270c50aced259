export function CompanyPage({ id }: { id: string }) { return <p>{id}</p>; }
