export function NewCompanyPage() { return <p>new</p>; }
