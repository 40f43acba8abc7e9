# Warnings for our own targets only; third-party sources (llhttp) opt out.
set(OC_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(OC_WERROR)
  list(APPEND OC_WARNINGS -Werror)
endif()

if(OC_SANITIZE)
  add_compile_options(-fsanitize=${OC_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${OC_SANITIZE})
endif()

function(oc_target_warnings target)
  target_compile_options(${target} PRIVATE ${OC_WARNINGS})
endfunction()
