export function AppPage({ name }: { name: string }) { return <p>{name}</p>; }
