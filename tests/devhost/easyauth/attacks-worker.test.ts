import { defineAttackSuite } from './attack-suite.js';

defineAttackSuite('worker');
