// Keeps a failing component from blanking the page: shows what broke and a way to retry.

import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What this boundary protects ("packet list", "page"). */
  area: string;
  children: ReactNode;
  /** Changing it resets the boundary (e.g. a new file). */
  resetKey?: unknown;
}

interface State {
  error: Error | null;
  key: unknown;
}

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.key ? { key: props.resetKey, error: null } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Pcap Ladder: the ${this.props.area} failed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="boundary" role="alert">
        <strong>The {this.props.area} could not be shown.</strong>
        <span className="boundary-msg">{error.message}</span>
        <button type="button" className="btn btn-small" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
