/** Decorative: whatever shows a spinner also says in words what is going on. */
export function Spinner({ small = false }: { small?: boolean }) {
  return <span className={small ? 'spinner spinner--small' : 'spinner'} aria-hidden="true" />;
}
