package dev.tally.store;

import dev.tally.support.UseH2;

@UseH2
class DeploymentIdentityH2IT extends AbstractDeploymentIdentityIT {}
