import type { ReactNode } from 'react'

/** What a section shows when it has nothing yet: what this is, and what to do next. */
export function EmptyState(props: {
  title: string
  children: ReactNode
  action?: ReactNode
  testId?: string
}) {
  return (
    <div className="empty-state" role="status" data-testid={props.testId ?? 'empty-state'}>
      <h2>{props.title}</h2>
      <div className="empty-state-body">{props.children}</div>
      {props.action ? <div className="empty-state-action">{props.action}</div> : null}
    </div>
  )
}
