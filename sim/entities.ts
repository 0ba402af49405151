// The properties each Graph entity type has, so $select is checked against the type and not
// against whatever objects a tenant happens to hold (an empty collection still validates).
export const ENTITY_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'microsoft.graph.organization': ['id', 'displayName', 'tenantType', 'createdDateTime', 'countryLetterCode', 'preferredLanguage', 'verifiedDomains'],
  'microsoft.graph.user': [
    'id', 'displayName', 'givenName', 'surname', 'mail', 'otherMails', 'userPrincipalName', 'userType', 'creationType', 'externalUserState',
    'externalUserStateChangeDateTime', 'accountEnabled', 'createdDateTime', 'jobTitle', 'businessPhones', 'mobilePhone', 'officeLocation', 'preferredLanguage',
  ],
  'microsoft.graph.unifiedRoleAssignment': ['id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId', 'condition', 'principal', 'roleDefinition'],
  'microsoft.graph.unifiedRoleEligibilitySchedule': [
    'id', 'principalId', 'roleDefinitionId', 'directoryScopeId', 'appScopeId', 'memberType', 'status', 'createdUsing', 'createdDateTime', 'modifiedDateTime', 'scheduleInfo', 'principal', 'roleDefinition',
  ],
  'microsoft.graph.unifiedRoleDefinition': ['id', 'templateId', 'displayName', 'description', 'isBuiltIn', 'isEnabled', 'version'],
  'microsoft.graph.crossTenantAccessPolicy': ['id', 'displayName', 'allowedCloudEndpoints', 'definition'],
  'microsoft.graph.crossTenantAccessPolicyConfigurationDefault': [
    'isServiceDefault', 'inboundTrust', 'automaticUserConsentSettings', 'b2bCollaborationInbound', 'b2bCollaborationOutbound', 'b2bDirectConnectInbound',
    'b2bDirectConnectOutbound', 'invitationRedemptionIdentityProviderConfiguration',
  ],
  'microsoft.graph.crossTenantAccessPolicyConfigurationPartner': [
    'tenantId', 'isServiceProvider', 'isInMultiTenantOrganization', 'inboundTrust', 'automaticUserConsentSettings', 'b2bCollaborationInbound',
    'b2bCollaborationOutbound', 'b2bDirectConnectInbound', 'b2bDirectConnectOutbound', 'tenantRestrictions',
  ],
  'microsoft.graph.servicePrincipal': [
    'id', 'appId', 'displayName', 'accountEnabled', 'appOwnerOrganizationId', 'servicePrincipalType', 'appRoleAssignmentRequired', 'servicePrincipalNames',
    'signInAudience', 'tags', 'appRoles', 'oauth2PermissionScopes', 'deletedDateTime',
  ],
  'microsoft.graph.application': ['id', 'appId', 'displayName', 'createdDateTime', 'signInAudience', 'publisherDomain', 'requiredResourceAccess', 'passwordCredentials', 'keyCredentials', 'deletedDateTime'],
  'microsoft.graph.appRoleAssignment': ['id', 'createdDateTime', 'deletedDateTime', 'appRoleId', 'principalDisplayName', 'principalId', 'principalType', 'resourceDisplayName', 'resourceId'],
  'microsoft.graph.oAuth2PermissionGrant': ['id', 'clientId', 'consentType', 'principalId', 'resourceId', 'scope'],
  'microsoft.graph.servicePrincipalSignInActivity': [
    'id', 'appId', 'applicationAuthenticationClientSignInActivity', 'applicationAuthenticationResourceSignInActivity', 'delegatedClientSignInActivity',
    'delegatedResourceSignInActivity', 'lastSignInActivity',
  ],
  'microsoft.graph.signIn': [
    'id', 'createdDateTime', 'appId', 'appDisplayName', 'servicePrincipalId', 'servicePrincipalName', 'userDisplayName', 'userPrincipalName', 'userId',
    'resourceDisplayName', 'resourceId', 'ipAddress', 'clientAppUsed', 'isInteractive', 'signInEventTypes', 'servicePrincipalCredentialKeyId', 'status',
  ],
  'microsoft.graph.security.alert': [
    'id', 'providerAlertId', 'incidentId', 'status', 'severity', 'classification', 'determination', 'serviceSource', 'detectionSource', 'detectorId', 'tenantId',
    'title', 'description', 'category', 'assignedTo', 'createdDateTime', 'lastUpdateDateTime', 'firstActivityDateTime', 'lastActivityDateTime', 'resolvedDateTime',
    'alertWebUrl', 'incidentWebUrl', 'evidence', 'comments',
  ],
  'microsoft.graph.security.incident': [
    'id', 'tenantId', 'displayName', 'status', 'severity', 'classification', 'determination', 'assignedTo', 'createdDateTime', 'lastUpdateDateTime',
    'incidentWebUrl', 'redirectIncidentId', 'customTags', 'systemTags', 'comments', 'alerts',
  ],
};
