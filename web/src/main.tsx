import { render } from 'preact';
import { App } from './app.js';
import './styles/base.css';
import './styles/layout.css';
import './styles/play.css';
import './styles/panels.css';
import './styles/library.css';

render(<App />, document.getElementById('app')!);
