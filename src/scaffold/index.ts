export { initProject, WORKFLOWS, type InitResult } from './init-project.js';
