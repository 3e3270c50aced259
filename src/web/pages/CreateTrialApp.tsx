export function CreateTrialAppPage() { return <p>new</p>; }
